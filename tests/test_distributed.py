"""A corpus on a Dask cluster gives the same reports as one process."""
import shutil

import pytest

from conftest import CORPUS, corpus_files, reference_for
from mtlint.batch import check_corpus
from mtlint.distributed import dask_backend

distributed = pytest.importorskip("dask.distributed")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs corpus/")
def test_local_cluster_matches_the_single_process_run(tmp_path):
    articles = sorted(corpus_files(), key=lambda p: p.stat().st_size)[:2]
    pairs = [(p.stem, str(reference_for(p)), str(p)) for p in articles]
    single, cluster_dir = tmp_path / "single", tmp_path / "cluster"
    alone = check_corpus(pairs, str(single))
    # Threads in this process keep the test fast; worker processes work the same way
    # (the documents and settings are pickled either way).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = check_corpus(pairs, str(cluster_dir), backend=dask_backend(client))
    assert spread.run == alone.run
    names = sorted(p.name for p in single.iterdir())
    assert names == sorted(p.name for p in cluster_dir.iterdir()) and len(names) == 2 * 3 + 2
    for name in names:
        assert (single / name).read_bytes() == (cluster_dir / name).read_bytes(), name


@pytest.mark.model
def test_pairs_on_a_local_cluster_match_the_single_process_run():
    from mtlint import Options
    from mtlint.batch import check_pairs_file
    from mtlint.pipeline import check_pairs

    rows = [(f"The council met on day {k}. It approved {100 + k} plans.",
             f"Der Rat tagte am Tag {k}. Er genehmigte {100 + k + (k % 3 == 0)} Pläne.") for k in range(70)]
    options = Options(enable=["number-mismatch", "mistranslation"])
    alone = check_pairs(rows, "en", "de", options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        spread = check_pairs_file(rows, "en", "de", options, jobs=2, backend=dask_backend(client))
    assert [r.as_dict() for r in spread] == [r.as_dict() for r in alone]


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys, monkeypatch):
    from mtlint import distributed as mtlint_distributed
    from mtlint.cli import main

    monkeypatch.setattr(mtlint_distributed, "CONNECT_TIMEOUT", "2s")

    corpus, references = tmp_path / "c", tmp_path / "r"
    corpus.mkdir()
    references.mkdir()
    article = min(corpus_files(), key=lambda p: p.stat().st_size)
    shutil.copy(article, corpus / article.name)
    shutil.copy(reference_for(article), references / reference_for(article).name)
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(corpus), str(references), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("mtlint: error: cannot reach the Dask scheduler") and err.count("\n") == 1
