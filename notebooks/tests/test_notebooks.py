"""Every notebook is committed without outputs and runs cleanly on the published warehouse.

Run after ./crm demo:
    CRM_WAREHOUSE=work/demo/warehouse/warehouse.duckdb python -m pytest notebooks/tests
"""
import os
import shutil
from pathlib import Path

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
NAMES = [path.stem for path in NOTEBOOKS]


def test_the_notebooks_are_there():
    assert set(NAMES) >= {"segments", "models", "funnel"}, f"notebooks found: {NAMES}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: code cells {dirty} keep outputs or execution counts; "
        f"strip them: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb"
    )


def warehouse_copy(tmp_path):
    """A private copy of $CRM_WAREHOUSE, so the test never holds a lock on the live file."""
    live = os.environ.get("CRM_WAREHOUSE")
    if not live or not Path(live).is_file():
        pytest.fail(
            f"no warehouse at CRM_WAREHOUSE={live!r}: run ./crm demo first and set "
            f"CRM_WAREHOUSE=work/demo/warehouse/warehouse.duckdb",
            pytrace=False,
        )
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(live, copy)
    if Path(live + ".wal").is_file():
        shutil.copyfile(live + ".wal", str(copy) + ".wal")
    return copy


def execute(path, warehouse, tmp_path, monkeypatch):
    """Runs the notebook top to bottom on the given warehouse file; returns its code cells' outputs."""
    monkeypatch.setenv("CRM_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    nb = nbformat.read(path, as_version=4)
    # kernel python3 is ipykernel's, started with this interpreter (sys.executable), so this venv's packages
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell and its traceback, on the first failing cell
    outputs = [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs]
    errors = [output for output in outputs if output.output_type == "error"]
    assert not errors, f"{path.name}: {errors}"
    return outputs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_runs_on_the_warehouse(path, tmp_path, monkeypatch):
    warehouse = warehouse_copy(tmp_path)
    outputs = execute(path, warehouse, tmp_path, monkeypatch)
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert images, f"{path.name} drew no chart on {os.environ['CRM_WAREHOUSE']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_runs_on_an_empty_warehouse(path, tmp_path, monkeypatch):
    """Same schema, no rows: every section prints a sentence instead of failing."""
    warehouse = warehouse_copy(tmp_path)
    con = duckdb.connect(str(warehouse))
    tables = con.execute(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
    ).fetchall()
    for (table,) in tables:
        con.execute(f'delete from "{table}"')
    con.execute("checkpoint")
    con.close()
    execute(path, warehouse, tmp_path, monkeypatch)
