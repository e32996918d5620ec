"""One module per AWS service: how teardown finds the course's resources there and deletes them.

Each module has finder functions ``find_*(ctx) -> list[Resource]`` and a
``DELETERS`` table from a resource kind to ``delete(ctx, resource)``; a deleter
raises the service's error when it cannot delete, and the engine reports it.
"""
