def init():
    return [0]
