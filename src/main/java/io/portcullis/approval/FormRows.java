package io.portcullis.approval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.springframework.modulith.NamedInterface;

/**
 * Rows of text for a table in a Camunda form ({@code forms/approve-access.form}): each row a map
 * from a column's key to its cell. Stored as a JSON object variable ({@link FormRowsSerializer}),
 * which Tasklist hands to the form as a list, so the form shows each decision, each event of the
 * audit trail, as a row of its own. Nothing a person writes into one cell can then pass for another
 * row, as it could in text joined line by line, where a comment could end one line and write the
 * next.
 */
@NamedInterface("chains")
public record FormRows(List<Map<String, String>> rows) {

  /** The type name stored with the variable; the only one its serializer reads back. */
  public static final String TYPE_NAME = "portcullis.FormRows";

  public FormRows {
    rows = rows.stream().map(row -> Collections.unmodifiableMap(new LinkedHashMap<>(row))).toList();
  }

  /** The rows as a task variable of their own type. */
  public ObjectValue asVariable() {
    return Variables.objectValue(this)
        .serializationDataFormat(Variables.SerializationDataFormats.JSON)
        .create();
  }

  /**
   * Shows the rows in the task's form as its variable {@code name}. An empty table is not written:
   * the form shows a missing table as an empty one ("Nothing to show."), and each costs two rows
   * written with the task and three statements more when it ends (issue 31). Unless the instance
   * holds a variable of that name, which the form would show instead.
   */
  public void showOn(DelegateTask task, String name) {
    if (!rows.isEmpty() || task.getExecution().hasVariable(name)) {
      task.setVariableLocal(name, asVariable());
    }
  }

  /**
   * One row from pairs of column and cell, in the order of the form's columns; a null cell is
   * empty.
   */
  public static Map<String, String> row(String... columnsAndCells) {
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i + 1 < columnsAndCells.length; i += 2) {
      row.put(columnsAndCells[i], columnsAndCells[i + 1] == null ? "" : columnsAndCells[i + 1]);
    }
    return row;
  }
}
