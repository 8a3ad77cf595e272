"""Sites and assets: the poker rooms and other places a player keeps money, with their history."""
