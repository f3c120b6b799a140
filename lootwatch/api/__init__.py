"""Infrastructure shared by every endpoint of the partner API (v1): authentication by key,
throttling, keyset pagination, GeoJSON and CSV output, errors as JSON, ETags, and the
read-only base viewset that puts them together. The endpoints themselves live in
incidents/api/ and claims/api/."""
