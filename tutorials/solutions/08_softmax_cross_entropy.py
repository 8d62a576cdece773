# %% [markdown]
# # 08 Softmax and cross-entropy: solutions

# %%
answer = np.array([0.7, 0.2, 0.1]) - np.array([1.0, 0.0, 0.0])   # p - y (a batch of one: n = 1)
nt.exercises.check("08.1", answer)

# %%
answer = accuracy_true                        # computed in section 2 with a true softmax
nt.exercises.check("08.2", answer)

# %%
answer = np.log(3)                            # -log(1/3) for every flower, averaged
nt.exercises.check("08.3", answer)
