"""The bare Flask app that ``pages_bench.py`` measures as its yardstick (one route, no database)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"
