# %% [markdown]
# # 07 Batches: solutions

# %%
g_exercise = np.array([0.3, -0.1, 0.4, 0.2])
answer = g_exercise.mean()                   # each share is g_i / n; the shares add up
nt.exercises.check("07.1", answer)

# %%
answer = 0.01 * 16 * 10 / 2                  # mse's gradient is 2 (a - y) / (16 * 10), sse's (a - y)
nt.exercises.check("07.2", answer)

# %%
answer = (2, 3)                              # (n_inputs, n_neurons), like W1 itself
nt.exercises.check("07.3", answer)
