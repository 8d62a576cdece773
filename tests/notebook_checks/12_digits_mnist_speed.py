# ruff: noqa: F821  (these cells run after the notebook's own cells, in its kernel)
# Checks of tutorials/12_digits_mnist_speed: run by tests/test_tutorials.py.

# %%
assert saturated["raw pixels 0..16"] > 0.3 > 0.02 > saturated["standardized pixels"]

# %%
assert digit_accuracy["standardized, lr 0.1"][-1] > 0.9
assert digit_accuracy["raw pixels, lr 0.01"][-1] > digit_accuracy["standardized, lr 0.01"][-1]
assert digit_accuracy["standardized, lr 0.1"][0] > digit_accuracy["raw pixels, lr 0.01"][0]

# %%
assert abs(untrained_loss - np.log(10)) < 0.25 and 0.02 < untrained_accuracy < 0.2

# %%
assert scratch_runs["pixels unscaled"][-1] > 0.3 > 0.2 > scratch_runs["pixels in [0, 1]"][-1]

# %%
assert abs(362.3181862831116 / test_batches - np.log(10)) < 0.01     # epoch 0's test loss: untrained
assert after_accuracy > 0.5

# %%
assert np.abs(torch_probabilities - nt_probabilities).max() < 1e-12
assert abs(torch_loss_value - nt_loss_value) < 1e-12
for lin, (W, b) in zip(linears, torch_like.parameters()):
    np.testing.assert_allclose(lin.weight.detach().numpy().T, W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lin.bias.detach().numpy(), b, rtol=1e-10, atol=1e-12)

# %%
assert np.abs(vec.forward(Xtr) - neurons.forward(Xtr)).max() < 1e-12
assert timings["neurons", 1] > timings["vectorized", 32]
