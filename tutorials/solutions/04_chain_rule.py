# %% [markdown]
# # 04 The chain rule with real numbers: solutions

# %%
outputs = ["L2.N0", "L2.N1", "L2.N2", "L2.N3"]
answer = sum(step.backward[k]["delta"] * step.update[k]["weights_before"][2] for k in outputs)
nt.exercises.check("04.1", answer)

# %%
f2, y2 = -3.0, 4.0
dL_df = -2 * (y2 - f2)                                  # -14
a_hidden = np.array([0.0, 3.0, 1.0, 0.0])               # the ReLU outputs at x = 2
answer = dL_df * a_hidden
nt.exercises.check("04.2", answer)

# %%
w_out = np.array([0.0, -1.0, -1.0, 0.0])
z_hidden = np.array([-1.0, 3.0, 1.0, -1.0])
answer = dL_df * w_out * (z_hidden > 0) * 2.0           # dL/df * w0i * relu'(z_i) * x
nt.exercises.check("04.3", answer)

# %%
answer = db1[2] * 0.01                                  # dC/db of L1.N2 times the change
print(t.what_if("L1.N2", "b", by=0.01, step=0))         # .predicted is this; .change the actual
nt.exercises.check("04.4", answer)
