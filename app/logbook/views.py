"""Pages of the logbook feature."""

from flask import Blueprint

bp = Blueprint("logbook", __name__, url_prefix="/logbook", template_folder="templates")
