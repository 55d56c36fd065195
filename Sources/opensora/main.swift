print("opensora")
