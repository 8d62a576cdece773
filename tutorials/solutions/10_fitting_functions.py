# %% [markdown]
# # 10 Fitting functions: solutions

# %%
answer = 6 / 2                               # w x + b = 0 at x = -b / w
nt.exercises.check("10.1", answer)

# %%
answer = 2 * 0.5385                          # no 1/2 in the printed Total Error
nt.exercises.check("10.2", answer)
