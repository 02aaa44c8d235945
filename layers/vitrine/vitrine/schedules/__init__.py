"""Scheduled jobs: the input EventBridge Scheduler sends, and running a job once per scheduled time."""
