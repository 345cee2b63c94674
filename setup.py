"""resources/ and models/ live at the top of the checkout; a wheel ships them inside the package
as stride_desktop/resources (and stride_desktop/resources/models) so paths.py finds them in both."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["stride_desktop", "stride_desktop.*"])
    + ["stride_desktop.resources", "stride_desktop.resources.models"],
    package_dir={"stride_desktop.resources": "resources",
                 "stride_desktop.resources.models": "models"},
    package_data={"stride_desktop.resources": ["**/*"], "stride_desktop.resources.models": ["*.yaml"]},
    include_package_data=False,
)
