# %% [markdown]
# # 03 Forward through layers: solutions

# %%
z_hidden = 5.0 * np.array([-1.0, 1.0, 1.0, -1.0]) + np.array([1.0, 1.0, -1.0, 1.0])   # -4, 6, 4, -4
a_hidden = np.maximum(0, z_hidden)                                                      # 0, 6, 4, 0
answer = a_hidden @ np.array([0.0, -1.0, -1.0, 0.0]) + 1.0                              # -9
print(answer, homework.forward(np.array([5.0])))
nt.exercises.check("03.1", answer)

# %%
(Wa, ba), (Wb, bb) = homework.parameters()
collapsed = nt.NeuralNetwork.from_weights([Wa @ Wb], [ba @ Wb + bb], activation="identity")
print(collapsed.forward(np.array([0.0])), homework.forward(np.array([0.0])))
answer = bool(np.allclose(collapsed.forward(np.array([0.0])), homework.forward(np.array([0.0]))))
nt.exercises.check("03.2", answer)

# %%
W1 = np.arange(12.0).reshape(3, 4) / 10
W2 = np.array([[1.0], [-1.0], [0.5], [2.0]])
b1_ex, b2_ex = np.array([1.0, 0.0, -1.0, 2.0]), np.array([0.5])
answer = b1_ex @ W2 + b2_ex
nt.exercises.check("03.3", answer)
