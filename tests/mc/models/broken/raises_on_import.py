def init():
    return [0]


LIMIT = int("not a number")
