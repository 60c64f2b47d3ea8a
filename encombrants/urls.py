# Pages of this app are added under its public address as its issue lands (no placeholder pages).
app_name = "encombrants"
urlpatterns: list = []
