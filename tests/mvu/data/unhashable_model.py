from fmlab.mvu import h


def init():
    return [0]


def update(model, msg):
    return model


def view(model):
    return h("p", {}, ["x"])
