"""Running windows in batches: every path gives the eager fp32 answer, in order, for any count."""

import pytest
import torch

from genuscreen.model.network import build_model
from genuscreen.model.runtime import BatchRunner, RunPlan, choose_plan, cpu_has_bf16


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return build_model("gaitnet", width=8).eval()


def reference(model, x):
    with torch.inference_mode():
        return model(x)


@pytest.mark.parametrize("count", [1, 3, 8, 11])
def test_frozen_fp32_matches_eager_for_any_number_of_windows(model, count) -> None:
    torch.manual_seed(count)
    x = torch.rand(count, 1, 16, 64, 44)
    out = BatchRunner(model, RunPlan("cpu", "fp32", frozen=True, batch_size=4))(x)
    ref = reference(model, x)
    assert out["logits"].shape == (count, 2) and out["angle"].shape == (count,)
    torch.testing.assert_close(out["logits"], ref["logits"], rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(out["angle"], ref["angle"], rtol=1e-4, atol=1e-5)


def test_frozen_graph_accepts_another_window_size_after_tracing(model) -> None:
    runner = BatchRunner(model, RunPlan("cpu", "fp32", frozen=True, batch_size=8))
    runner(torch.rand(2, 1, 16, 64, 44))
    x = torch.rand(3, 1, 8, 96, 64)
    torch.testing.assert_close(runner(x)["logits"], reference(model, x)["logits"], rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(not cpu_has_bf16(), reason="this CPU has no bf16 instructions")
def test_bf16_stays_close_to_fp32(model) -> None:
    torch.manual_seed(1)
    x = torch.rand(8, 1, 16, 64, 44)
    out = BatchRunner(model, RunPlan("cpu", "bf16", frozen=True, batch_size=8))(x)
    ref = reference(model, x)
    assert out["logits"].dtype == torch.float32  # callers always get fp32 back
    prob, ref_prob = out["logits"].softmax(1), ref["logits"].softmax(1)
    assert (prob - ref_prob).abs().max() < 0.05
    assert not torch.equal(out["logits"], ref["logits"])  # it really ran in bf16


def test_plan_choice() -> None:
    cpu = choose_plan("cpu")
    assert cpu.precision == ("bf16" if cpu_has_bf16() else "fp32")
    assert cpu.frozen
    assert not choose_plan("cuda").frozen
    assert choose_plan("cpu", "fp32").frozen
    assert choose_plan("cuda", "auto").precision == "fp16"
    with pytest.raises(ValueError, match="CUDA only"):
        choose_plan("cpu", "fp16")
    with pytest.raises(ValueError, match="precision"):
        choose_plan("cpu", "fp8")
    with pytest.raises(ValueError, match="batch size"):
        choose_plan("cpu", batch_size=0)


def test_empty_input_is_refused(model) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        BatchRunner(model, choose_plan("cpu"))(torch.zeros(0, 1, 16, 64, 44))
