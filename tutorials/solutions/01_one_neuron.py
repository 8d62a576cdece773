# %% [markdown]
# # 01 One neuron: solutions

# %%
w_ex, b_ex, x_ex, y_ex = np.array([0.5, -0.5]), 0.1, np.array([1.0, 2.0]), 1.0
z_ex = x_ex @ w_ex + b_ex
a_ex = 1 / (1 + np.exp(-z_ex))
delta_ex = (a_ex - y_ex) * a_ex * (1 - a_ex)      # dL/da * f'(z)
answer = delta_ex * x_ex                          # dL/dw = delta * x
nt.exercises.check("01.1", answer)

# %%
dead = nt.Neuron(3, "relu", weights=w, bias=-7.0)
a_dead = dead.forward(x)
dead.backward(2 * a_dead)
print("z =", dead.z, " delta =", dead.delta, " dL/dw =", dead.grad_weights)
answer = bool(np.any(dead.grad_weights != 0) or dead.grad_bias != 0)
nt.exercises.check("01.2", answer)

# %%
p1, p2 = 0.6346325032155706, 0.31907088859242594
z1, z2 = np.log(p1 / (1 - p1)), np.log(p2 / (1 - p2))     # undo the sigmoid
answer = (z1 - z2) / 4                                      # x1 differs by 2 - (-2) = 4
nt.exercises.check("01.3", answer)
