# No models: this module exists so that Django sends this app the post_migrate signal
# (lootwatch/apps.py creates the database cache's table then).
