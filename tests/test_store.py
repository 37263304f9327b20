"""The result store of an experiment (asnsim.store.RunStore), on its own."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asnsim.outfolder import KIND_FILES, LOCK_NAME, TMP_PREFIX, OutputFolderError
from asnsim.parquet import write_parquet
from asnsim.store import RunStore

STAMP = {"kind": "experiment", "files": list(KIND_FILES["experiment"])}
"""What the store adds to a manifest: the kind of job and the files it writes."""


def _manifest(hash_="abc123", name="exp"):
    return {"experiment_hash": hash_, "experiment": {"name": name}, "runs": [1, 2]}


def _tables(value):
    return {
        "annual": pd.DataFrame({"year": [1, 2], "ikm": [value, value + 1.0]}),
        "city": pd.DataFrame({"year": [1], "x": [value]}),
    }


def test_open_writes_the_manifest_and_reopening_the_same_experiment_is_fine(tmp_path):
    store = RunStore(tmp_path / "exp")
    store.open(_manifest())
    assert store.manifest() == _manifest() | STAMP
    assert (tmp_path / "exp" / "runs").is_dir()
    text = (tmp_path / "exp" / "manifest.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and json.loads(text) == _manifest() | STAMP
    assert not list((tmp_path / "exp").glob(TMP_PREFIX + "*"))  # no temporary file left
    store.close()
    updated = _manifest() | {"runs": [1, 2, 3]}
    again = RunStore(tmp_path / "exp")
    again.open(updated)  # same experiment hash: accepted, rewritten
    again.close()
    assert store.manifest() == updated | STAMP


def test_open_refuses_a_folder_of_another_experiment(tmp_path):
    first = RunStore(tmp_path)
    first.open(_manifest("abcdef1234567890", name="first"))
    first.close()
    with pytest.raises(OutputFolderError) as err:
        RunStore(tmp_path).open(_manifest("zzz", name="second"))
    message = str(err.value)
    assert str(tmp_path) in message and "'first'" in message
    assert "abcdef123456" in message and "abcdef1234567" not in message
    assert "another --out folder" in message
    assert RunStore(tmp_path).manifest()["experiment_hash"] == "abcdef1234567890"


def test_a_written_run_is_done_with_its_key_only(tmp_path):
    store = RunStore(tmp_path)
    assert not store.done("r1", "k1")
    store.write("r1", "k1", _tables(70.0), {"ikm": 70.0, "n": np.int64(3)})
    assert store.done("r1", "k1")
    assert not store.done("r1", "other key")
    assert not store.done("r2", "k1")
    folder = tmp_path / "runs" / "r1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "annual.parquet",
        "city.parquet",
        "done.json",
    ]
    done = json.loads((folder / "done.json").read_text(encoding="utf-8"))
    assert done == {"key": "k1", "summary": {"ikm": 70.0, "n": 3}}
    pd.testing.assert_frame_equal(
        pd.read_parquet(folder / "annual.parquet"), _tables(70.0)["annual"]
    )
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["r1"]  # no temporary folder


def test_summaries_and_tables_gather_finished_runs_sorted_by_id(tmp_path):
    store = RunStore(tmp_path)
    assert store.summaries().empty and store.table("annual").empty and store.failures() == {}
    store.write("r2", "k2", _tables(80.0), {"ikm": 80.0})
    store.write("r1", "k1", _tables(70.0), {"ikm": 70.0})
    store.write_failure("r3", "k3", "Traceback: boom")
    summaries = store.summaries()
    assert summaries.to_dict("records") == [
        {"run_id": "r1", "ikm": 70.0},
        {"run_id": "r2", "ikm": 80.0},
    ]
    annual = store.table("annual")
    assert annual.columns.tolist() == ["year", "ikm", "run_id"]
    assert annual["run_id"].tolist() == ["r1", "r1", "r2", "r2"]
    assert annual["ikm"].tolist() == [70.0, 71.0, 80.0, 81.0]
    assert annual.index.tolist() == [0, 1, 2, 3]
    assert store.table("city")["x"].tolist() == [70.0, 80.0]
    assert store.table("daily").empty  # no run wrote a daily table
    assert store.failures() == {"r3": "Traceback: boom"}


def test_rewriting_a_run_replaces_it_whole(tmp_path):
    store = RunStore(tmp_path)
    store.write_failure("r1", "k1", "boom")
    assert store.failures() == {"r1": "boom"} and not store.done("r1", "k1")
    store.write("r1", "k1", _tables(70.0), {"ikm": 70.0})
    assert store.failures() == {}
    assert store.done("r1", "k1")
    store.write("r1", "k2", {"city": _tables(75.0)["city"]}, {"ikm": 75.0})
    assert not store.done("r1", "k1") and store.done("r1", "k2")
    assert sorted(p.name for p in (tmp_path / "runs" / "r1").iterdir()) == [
        "city.parquet",
        "done.json",
    ]


def test_a_crash_while_writing_leaves_no_run_and_no_temporary_folder(tmp_path, monkeypatch):
    store = RunStore(tmp_path)

    def disk_full(frame, path):
        Path(path).write_bytes(b"PAR1")  # half a file, then the crash
        raise OSError("disk full")

    monkeypatch.setattr("asnsim.store.write_parquet", disk_full)
    with pytest.raises(OSError, match="disk full"):
        store.write("r1", "k1", {"annual": pd.DataFrame({"a": [1]})}, {})
    assert list((tmp_path / "runs").iterdir()) == []
    assert not store.done("r1", "k1")


def test_hidden_folders_and_half_runs_are_not_read(tmp_path):
    store = RunStore(tmp_path)
    store.write("r1", "k1", _tables(70.0), {"ikm": 70.0})
    hidden = tmp_path / "runs" / ".r2.tmp"
    hidden.mkdir()
    (hidden / "done.json").write_text(json.dumps({"key": "k", "summary": {"ikm": 1.0}}))
    (tmp_path / "runs" / "r3").mkdir()  # a folder without done.json
    assert store.summaries()["run_id"].tolist() == ["r1"]
    assert store.table("annual")["run_id"].unique().tolist() == ["r1"]


def test_a_summary_that_is_not_json_is_rejected(tmp_path):
    with pytest.raises(TypeError, match="not JSON serialisable: object"):
        RunStore(tmp_path).write("r1", "k1", {}, {"bad": object()})


def test_json_files_are_sorted_and_indented_for_diffs(tmp_path):
    store = RunStore(tmp_path / "exp")
    manifest = {"runs": [1], "experiment_hash": "h", "experiment": {"name": "e", "b": 1}}
    store.open(manifest)
    store.close()
    text = (tmp_path / "exp" / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(manifest | STAMP, sort_keys=True, indent=2) + "\n"
    store.write_failure("r1", "k1", "boom")
    failed = (tmp_path / "exp" / "runs" / "r1" / "failed.json").read_text(encoding="utf-8")
    assert failed == '{\n  "error": "boom",\n  "key": "k1"\n}\n'


def test_a_manifest_without_an_experiment_name_is_still_refused_clearly(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"experiment_hash": "old"} | STAMP))
    with pytest.raises(
        OutputFolderError, match=r"holds results of another experiment \('None', hash old\)"
    ):
        RunStore(tmp_path).open(_manifest("new"))


def test_tables_are_stored_without_their_index(tmp_path):
    store = RunStore(tmp_path)
    frame = pd.DataFrame({"year": [1, 2, 3], "x": [1.0, 2.0, 3.0]}).iloc[[0, 2]]
    store.write("r1", "k1", {"annual": frame}, {})
    back = pd.read_parquet(tmp_path / "runs" / "r1" / "annual.parquet")
    assert back.columns.tolist() == ["year", "x"]
    assert back.index.tolist() == [0, 1]
    assert back["year"].tolist() == [1, 3]


def test_a_store_can_be_written_before_its_folder_exists(tmp_path):
    store = RunStore(tmp_path / "new" / "deeper")
    store.write("r1", "k1", {}, {"ikm": 1.0})
    assert store.done("r1", "k1")


def test_a_run_is_written_in_a_hidden_folder_beside_the_runs(tmp_path, monkeypatch):
    store = RunStore(tmp_path)
    seen = []

    def recorded(frame, path):
        seen.append(Path(path).parent)
        write_parquet(frame, path)

    monkeypatch.setattr("asnsim.store.write_parquet", recorded)
    store.write("r1", "k1", {"annual": pd.DataFrame({"a": [1]})}, {})
    (folder,) = seen
    assert folder.parent == tmp_path / "runs"
    # readers skip it (a dot first) until it is renamed into place
    assert folder.name.startswith(f"{TMP_PREFIX}r1.") and TMP_PREFIX.startswith(".")
    assert not folder.exists() and store.done("r1", "k1")


def test_the_folder_is_locked_from_open_to_close(tmp_path):
    # the lock file exists while a job holds the lock (another process is refused: the
    # refusal itself is tested in test_hostile.py)
    lock = tmp_path / LOCK_NAME
    store = RunStore(tmp_path)
    store.open(_manifest())
    assert lock.exists()
    store.open(_manifest())  # the holder may open again
    store.close()
    assert not lock.exists()
    store.close()  # twice is harmless
    store.open(_manifest())  # and lock again after a close
    assert lock.exists()
    store.close()
    assert not lock.exists()


def test_force_replaces_another_experiment_but_keeps_files_asnsim_did_not_write(tmp_path):
    first = RunStore(tmp_path)
    first.open(_manifest("one"))
    first.write("r1", "k1", _tables(70.0), {"ikm": 70.0})
    first.close()
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "runs" / "r1" / "mine.csv").write_text("a,b\n")
    with pytest.raises(
        OutputFolderError, match=r"add --force to replace them or use another --out folder$"
    ):
        RunStore(tmp_path).open(_manifest("two"))
    second = RunStore(tmp_path, force=True)
    second.open(_manifest("two"))
    second.close()
    assert second.manifest()["experiment_hash"] == "two"
    assert not second.done("r1", "k1") and second.summaries().empty
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert [p.name for p in (tmp_path / "runs" / "r1").iterdir()] == ["mine.csv"]


def test_rewriting_a_run_keeps_a_file_asnsim_did_not_write_in_its_folder(tmp_path):
    store = RunStore(tmp_path)
    store.write("r1", "k1", _tables(70.0), {"ikm": 70.0})
    (tmp_path / "runs" / "r1" / "mine.csv").write_text("a,b\n")
    store.write("r1", "k2", {"city": _tables(75.0)["city"]}, {"ikm": 75.0})
    assert sorted(p.name for p in (tmp_path / "runs" / "r1").iterdir()) == [
        "city.parquet",
        "done.json",
        "mine.csv",
    ]
    assert store.done("r1", "k2") and store.table("city")["x"].tolist() == [75.0]
    assert not list((tmp_path / "runs").glob(TMP_PREFIX + "*"))


def test_force_removes_the_earlier_results_own_files_only(tmp_path):
    # a comparison store wrote comparison.csv (named in its manifest); a stray file in runs/
    first = RunStore(tmp_path, kind="compare")
    first.open(_manifest("one"))
    first.close()
    (tmp_path / "comparison.csv").write_text("old")
    (tmp_path / "runs" / "stray.txt").write_text("mine")
    second = RunStore(tmp_path, kind="compare", force=True)
    second.open(_manifest("two"))
    second.close()
    assert not (tmp_path / "comparison.csv").exists()
    assert (tmp_path / "runs" / "stray.txt").read_text() == "mine"
    assert second.manifest()["experiment_hash"] == "two"
    assert second.manifest()["files"] == list(KIND_FILES["compare"])
