"""The local stack (``make dev``): the system on 127.0.0.1 with no AWS account.

A moto server holds the resources of ``infra/template.yaml``; an HTTP front turns requests into API Gateway
HTTP API events; pollers feed SQS batches to consumers; the template's schedules fire on a timer.
Development, demos and tests only: AWS is the runtime.
"""
