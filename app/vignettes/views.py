"""Pages of the vignettes feature."""

from flask import Blueprint

bp = Blueprint("vignettes", __name__, url_prefix="/vignettes", template_folder="templates")
