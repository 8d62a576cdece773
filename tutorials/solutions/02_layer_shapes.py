# %% [markdown]
# # 02 A layer and its shapes: solutions

# %%
answer = (3, 5)                        # (n_inputs, n_neurons): the course's W transposed
nt.exercises.check("02.1", answer)

# %%
delta = dC_da * da_dz                  # dC/dz, one number per neuron
answer = np.outer(delta, x)            # row j: delta_j * x
nt.exercises.check("02.2", answer)

# %%
answer = W.T @ (dC_da * da_dz)         # input k receives sum_j delta_j W[j, k]
nt.exercises.check("02.3", answer)
