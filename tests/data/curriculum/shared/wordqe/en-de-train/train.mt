Der Hund beißt der Mann .
Die Frau sieht das Kind .
Das Haus ist groß .
Das Buch wurde 2019 geschrieben .
Er kaufte 12 Äpfel .
Anna besuchte Berlin mit Tomas .
Das Boot erreichte die Bank .
Die Antwort war wichtig .
Sie haben ein großes Haus .
Der Mann schläft in dem Garten .
Maria traf Jonas in Hamburg .
Gestern rief Peter Lena an .
Der alte Mann sieht ein kleines Kind .
