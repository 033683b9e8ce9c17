"""Writing thousands of rows in one statement: ``INSERT ... SELECT unnest(...)`` sends one
array a column, so a 5,000-row import is a handful of small statements rather than
thousands of bound parameters for the driver to splice into SQL."""

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY


def insert_columns(session, table, columns: dict[str, list], fixed: dict | None = None, returning=()):
    """Insert one row per position of the equal-length lists in ``columns`` (column name
    -> values), each row also taking ``fixed`` (column name -> SQL expression, such as
    ``func.now()``). Returns the ``returning`` columns' rows, or None."""
    names = list(columns)
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("every column needs a value for every row")
    if not lengths.pop():
        return [] if returning else None
    arrays = [
        func.unnest(bindparam(f"bulk_{i}", columns[name], type_=ARRAY(table.c[name].type))).label(name)
        for i, name in enumerate(names)
    ]
    fixed = fixed or {}
    query = select(*arrays, *(value.label(name) for name, value in fixed.items()))
    statement = insert(table).from_select([*names, *fixed], query)
    if returning:
        return session.execute(statement.returning(*returning)).all()
    session.execute(statement)
    return None
