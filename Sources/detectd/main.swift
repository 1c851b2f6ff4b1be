print("detectd")
