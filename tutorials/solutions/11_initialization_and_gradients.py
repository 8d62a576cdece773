# %% [markdown]
# # 11 Initialization and gradients: solutions

# %%
answer = np.sqrt(2 / 50)                     # He: N(0, 2 / n_in)
nt.exercises.check("11.1", answer)

# %%
answer = np.clip([3.0, -0.5, 0.2], -1.0, 1.0)
nt.exercises.check("11.2", answer)
