"""Routes for streaks, the heatmap and the weekly and yearly reviews."""

from django.urls import path

from cairn.daily import practice_views as views

urlpatterns: list = [
    path("practice/", views.practice_page, name="practice"),
    path("practice/reviews/", views.review_list, name="review-list"),
    path("practice/reviews/new/", views.review_new, name="review-new"),
    path("practice/reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("practice/reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("practice/reviews/<int:pk>/delete/", views.review_delete, name="review-delete"),
    path("practice/year/<int:year>/", views.year_review, name="year-review"),
]
