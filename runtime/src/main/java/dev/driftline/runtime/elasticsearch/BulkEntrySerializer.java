package dev.driftline.runtime.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/** Writer state: the buffered {@link BulkEntry}s. Version 1 layout per entry: index, id, op, version, retries, document. */
final class BulkEntrySerializer extends AsyncSinkWriterStateSerializer<BulkEntry> {
  @Override
  protected void serializeRequestToStream(BulkEntry entry, DataOutputStream out) throws IOException {
    EsOperation op = entry.operation();
    out.writeUTF(op.index());
    out.writeUTF(op.id());
    out.writeByte(op.opType().ordinal());
    out.writeLong(op.externalVersion());
    out.writeInt(entry.retries());
    out.writeInt(op.document().length);
    out.write(op.document());
  }

  @Override
  protected BulkEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
    String index = in.readUTF();
    String id = in.readUTF();
    int opType = in.readByte();
    long version = in.readLong();
    int retries = in.readInt();
    byte[] document = new byte[in.readInt()];
    in.readFully(document);
    EsOperation.OpType[] types = EsOperation.OpType.values();
    if (opType < 0 || opType >= types.length) {
      throw new IOException("Elasticsearch sink state: unknown op type " + opType + " for " + index + "/" + id);
    }
    return new BulkEntry(new EsOperation(index, id, document, types[opType], version), retries);
  }

  @Override
  public int getVersion() {
    return 1;
  }
}
