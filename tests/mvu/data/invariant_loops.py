def init():
    return 0


def update(model, msg):
    return model


def view(model):
    from fmlab.mvu import h

    return h("p", {}, [str(model)])


def inv_never_answers(model):
    while True:
        pass
