Der alte Mann schläft .
Maria traf Jonas in Hamburg .
