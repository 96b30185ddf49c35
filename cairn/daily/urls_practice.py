"""Routes for streaks, the heatmap and the weekly and yearly reviews."""

urlpatterns: list = []
