"""The demo data: the incidents and claims of the April 2022 report on looting around Kyiv
(shared/seed), as plain data (data.py) fed to the services by a small loader (loader.py)."""
