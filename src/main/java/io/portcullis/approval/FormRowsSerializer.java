package io.portcullis.approval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Component;

/**
 * Stores {@link FormRows} as JSON ({@code application/json}), the one kind of JSON object variable
 * the engine takes. Tasklist parses a variable of that format into a list for the form's tables.
 *
 * <p>Why not Camunda Spin: it would let every door store and read JSON objects of any Java type
 * named by the caller (Jackson's polymorphic reading), for a feature that needs one type. This
 * serializer writes and reads only {@link FormRows}, as a list of maps of strings with a plain
 * ObjectMapper; a serialized value that names another type is not taken (as before: no serializer
 * for it).
 */
final class FormRowsSerializer extends AbstractObjectValueSerializer {

  static final String NAME = "portcullis-form-rows";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Map<String, String>>> ROWS = new TypeReference<>() {};

  FormRowsSerializer() {
    super(Variables.SerializationDataFormats.JSON.getName());
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  protected boolean canWriteValue(TypedValue value) {
    if (value instanceof SerializableValue serializable && !serializable.isDeserialized()) {
      return super.canWriteValue(value)
          && value instanceof ObjectValue object
          && FormRows.TYPE_NAME.equals(object.getObjectTypeName());
    }
    return super.canWriteValue(value);
  }

  @Override
  protected boolean canSerializeValue(Object value) {
    return value instanceof FormRows;
  }

  @Override
  protected String getTypeNameForDeserialized(Object deserializedObject) {
    return FormRows.TYPE_NAME;
  }

  @Override
  protected byte[] serializeToByteArray(Object deserializedObject) throws Exception {
    return JSON.writeValueAsBytes(((FormRows) deserializedObject).rows());
  }

  @Override
  protected Object deserializeFromByteArray(byte[] object, String objectTypeName) throws Exception {
    if (!FormRows.TYPE_NAME.equals(objectTypeName)) {
      throw new IllegalArgumentException(
          "only "
              + FormRows.TYPE_NAME
              + " is read as "
              + getSerializationDataformat()
              + ", not "
              + objectTypeName);
    }
    return new FormRows(JSON.readValue(object, ROWS));
  }

  @Override
  protected boolean isSerializationTextBased() {
    return true;
  }

  /** Registers the serializer before the engine's own, so that it is asked first for its format. */
  @Component
  static class Registration extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
      List<TypedValueSerializer> serializers =
          configuration.getCustomPreVariableSerializers() == null
              ? new ArrayList<>()
              : new ArrayList<>(configuration.getCustomPreVariableSerializers());
      serializers.add(new FormRowsSerializer());
      configuration.setCustomPreVariableSerializers(serializers);
    }
  }
}
