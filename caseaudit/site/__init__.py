"""The pages that stand on every app: the home page, the navigation, the organisation browser
and the whole-project ``demo`` command. Nothing imports this package; it imports the apps."""
