from rest_framework.routers import SimpleRouter

from claims.api import views

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = router.urls
