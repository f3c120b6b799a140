from rest_framework.routers import SimpleRouter

from exchange.api.views import ReleaseViewSet

router = SimpleRouter()
router.register("releases", ReleaseViewSet, basename="release")
urlpatterns = router.urls
