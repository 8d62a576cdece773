# %% [markdown]
# # 00 Slopes by nudging: solutions

# %%
def loss_with_w1(value):
    """L when w1 of L1.N0 is `value` and everything else is unchanged."""
    nudged = nt.NeuralNetwork.from_weights([np.array([[-3.0], [value], [2.0]])], [np.array([1.0])],
                                           activation="relu")
    return nudged.loss(x, no_target, a_squared)


h = 1e-4
answer = (loss_with_w1(-1.0 + h) - loss_with_w1(-1.0 - h)) / (2 * h)
nt.exercises.check("00.1", answer)

# %%
POINTS = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5], [4.0, 1.5]])
mu0 = np.zeros(2)
answer = np.sum(-2 * (POINTS - mu0), axis=0)        # d/dmu (x - mu)^2 = -2 (x - mu), summed
nt.exercises.check("00.2", answer)

# %%
median_net = nt.NeuralNetwork.from_weights([np.zeros((1, 1))], [np.zeros(1)], activation="identity")
targets = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]])
nt.fit(median_net, np.zeros((5, 1)), targets, loss=l1, optimizer=nt.SGD(lr=0.01), epochs=400,
       batch_size=None, progress=False)
b = median_net["L1.N0"].bias
answer = "median" if abs(b - np.median(targets)) < abs(b - np.mean(targets)) else "mean"
print(f"the bias ends at {b:.3f}; median {np.median(targets)}, mean {np.mean(targets)}")
nt.exercises.check("00.3", answer)
