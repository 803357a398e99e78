"""The scale benchmark: ModelAtlas on a synthetic catalogue, with MLflow's model registry side by side.

Run with ``manage.py benchmark`` (see README, "Scale and speed").
"""
