def init():
    return 0


def update(model, msg):
    return model
