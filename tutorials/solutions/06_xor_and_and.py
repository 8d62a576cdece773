# %% [markdown]
# # 06 XOR and AND: solutions

# %%
X_and, Y_and = nt.datasets.xor()[0], np.array([[0.0], [0.0], [0.0], [1.0]])
answer = len(np.unique(Y_and))           # one output per class
nt.exercises.check("06.1", answer)

# %%
answer = np.mean([1.0, 1.0, 0.0])        # (1-c)^2 + (1-c)^2 + c^2 is smallest at the mean
nt.exercises.check("06.2", answer)
