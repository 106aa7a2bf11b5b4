"""Pages of the learning feature."""

from flask import Blueprint

bp = Blueprint("learning", __name__, url_prefix="/learning", template_folder="templates")
