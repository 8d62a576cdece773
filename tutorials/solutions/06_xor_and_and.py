# %% [markdown]
# # 06 XOR and AND: solutions

# %%
and_targets = np.array([0, 0, 0, 1])     # the AND column of the truth table
answer = len(np.unique(and_targets))     # one output per class
nt.exercises.check("06.1", answer)

# %%
answer = np.mean([1.0, 1.0, 0.0])        # (1-c)^2 + (1-c)^2 + c^2 is smallest at the mean
nt.exercises.check("06.2", answer)

# %%
shares_of_b = t_plateau.contributions("L2.N0", "b", step=0)   # one share per sample
answer = shares_of_b.sum()                                     # sse: the batch gradient is their sum
nt.exercises.check("06.3", answer)
