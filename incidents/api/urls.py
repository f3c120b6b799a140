from rest_framework.routers import SimpleRouter

from incidents.api import views

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("places", views.PlaceViewSet, basename="place")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("deletions", views.DeletionViewSet, basename="deletion")

urlpatterns = router.urls
