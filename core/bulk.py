"""Bulk inserts for imports: PostgreSQL's COPY where available, bulk_create elsewhere (SQLite).

COPY does not return primary keys, so it is only for rows nothing else needs to point at in the
same transaction.
"""

import json

from django.db import connection, models


def bulk_insert(model, objs, batch_size=2000):
    objs = list(objs)
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return len(objs)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # psycopg adapts plain values itself; only JSON and files need converting.
    kinds = ["json" if isinstance(f, models.JSONField) else "file" if isinstance(f, models.FileField) else ""
             for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            row = []
            for f, kind in zip(fields, kinds, strict=True):
                value = f.pre_save(obj, True)  # defaults and auto_now_add, as save() would
                if kind == "json":
                    value = None if value is None else json.dumps(value)
                elif kind == "file":
                    value = value.name or "" if value else ""
                row.append(value)
            copy.write_row(row)
    return len(objs)
