"""Classifier and evaluate against `ecgopt classify` / `ecgopt evaluate`."""
import json

import numpy as np
import pytest

import ecgopt
from conftest import DATA, mitdb, needs_mitdb, run_cli


@needs_mitdb
def test_classify_equals_cli(ecgopt_bin, gbm_model, tmp_path):
    rec = 233
    run_cli(ecgopt_bin, "classify", "--model", gbm_model, mitdb(rec), "-o",
            tmp_path / f"{rec}.cls", "--quiet")
    cli = ecgopt.read_annotations(tmp_path / str(rec), "cls")
    c = ecgopt.Classifier.load(gbm_model)
    assert c.model == "gbm" and c.classes == ["N", "S", "V", "F", "Q"] and c.fs == 360.0
    res = c.classify(mitdb(rec))  # the record's reference beats, like the CLI's default
    assert np.array_equal(res.sample, cli.sample)
    assert res.annotations().symbol == cli.symbol
    assert res.prob.shape == (len(res), 5)
    dropped = np.isnan(res.prob).all(1)  # beats too close to the record's ends
    assert 0 < dropped.sum() <= 2 and all(res.labels[i] == "Q" for i in np.flatnonzero(dropped))
    assert np.allclose(res.prob[~dropped].sum(1), 1, atol=1e-4)
    # an array of the record's values (200 adu/mV) gives the same labels
    r = ecgopt.read_record(mitdb(rec))
    arr = c.classify(r.signal("MLII"), r.fs, res.sample)
    assert arr.labels == res.labels and np.array_equal(arr.prob, res.prob, equal_nan=True)

    # evaluate == ecgopt evaluate
    ref = ecgopt.read_annotations(mitdb(rec), "atr")
    ev = ecgopt.evaluate(ref, res)
    js = json.loads(run_cli(ecgopt_bin, "evaluate", "--test", "cls", "--test-dir", tmp_path,
                            "--data", DATA + "/mitdb", str(rec), "--json"))
    g = js["gross"]
    assert ev["matrix"] == g["matrix"]["counts"]
    assert ev["qrs"]["tp"] == g["qrs_tp"] and ev["veb"]["se"] == pytest.approx(g["veb_se"])
    assert ev["sveb"]["ppv"] == pytest.approx(g["sveb_ppv"])
    assert ev["classes"]["accuracy"] == pytest.approx(js["classes"]["accuracy"])


@needs_mitdb
def test_evaluate_identity_and_detector():
    ref = ecgopt.read_annotations(mitdb(100), "atr")
    ev = ecgopt.evaluate(ref, ref)
    assert ev["qrs"] == dict(tp=2273, fn=0, fp=0, se=100.0, ppv=100.0)
    assert ev["matrix"][0][0] == 2239 and ev["classes"]["accuracy"] == 1.0
    r = ecgopt.read_record(mitdb(100))
    det = ecgopt.detect_qrs(r.signal("MLII"), r.fs)
    ev = ecgopt.evaluate(ref, ecgopt.Annotations(det, ["N"] * len(det)))
    assert ev["qrs"]["se"] > 99.5 and ev["qrs"]["ppv"] > 99.5
    with pytest.raises(ValueError, match="fs"):
        ecgopt.evaluate(ecgopt.Annotations([1, 2], ["N", "N"]), ecgopt.Annotations([1], ["N"]))
    with pytest.raises(TypeError):
        ecgopt.evaluate(ref, [1, 2, 3])


@needs_mitdb
def test_classifier_bad_input(gbm_model, tmp_path):
    with pytest.raises(FileNotFoundError):
        ecgopt.Classifier.load(tmp_path / "none.model")
    (tmp_path / "bad.model").write_bytes(b"not a model\n")
    with pytest.raises(ValueError):
        ecgopt.Classifier.load(tmp_path / "bad.model")
    c = ecgopt.Classifier.load(gbm_model)
    x = np.zeros(3600)
    with pytest.raises(ValueError, match="beats"):
        c.classify(x, 360.0)
    with pytest.raises(ValueError, match="time order"):
        c.classify(x, 360.0, np.array([900, 500]))
    with pytest.raises(ValueError, match="NaN"):
        c.classify(np.full(3600, np.nan), 360.0, np.array([500, 900]))
