package io.chartpulse.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Writes rows into a lake table as one atomic Iceberg commit: the batch jobs' way of replacing what they own. An
 * {@link #overwrite} removes every data file whose rows all match the filter and adds the new files in the same
 * snapshot, so a reader sees the old rows or the new ones, never both and never neither; a crash before the
 * commit leaves the table as it was (the written files are orphans, which {@code lake maintain} removes). The filter
 * must cover whole files — it does when every file the job writes holds rows of one interval only, as each run
 * writes its interval's rows alone — or Iceberg refuses the commit rather than drop rows it should keep.
 */
public final class LakeWriter {

    private LakeWriter() {}

    /** Replaces the rows matching {@code filter} with {@code rows}; returns the files added. */
    public static List<DataFile> overwrite(Table table, Expression filter, Iterable<Record> rows, String summary) {
        List<DataFile> files = write(table, rows);
        overwrite(table, filter, files, summary);
        return files;
    }

    /** Writes {@code rows} as Parquet data files, one or more per partition, without committing them. */
    public static List<DataFile> write(Table table, Iterable<Record> rows) {
        Files files = open(table);
        for (Record row : rows) {
            files.write(row);
        }
        return files.close();
    }

    /** Data files being written into {@code table}'s partitions, a row at a time; nothing is committed. */
    public static Files open(Table table) {
        return new Files(table);
    }

    /** Open data files of one table: {@link #write} rows, then {@link #close} for the files to commit. */
    public static final class Files {
        private final Table table;
        private final PartitionKey key;
        private final InternalRecordWrapper wrapper;
        private final FanoutDataWriter<Record> writer;
        private long rows;

        private Files(Table table) {
            this.table = table;
            GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                    .dataFileFormat(FileFormat.PARQUET)
                    .dataSchema(table.schema())
                    .build();
            OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
                    .format(FileFormat.PARQUET)
                    .operationId(UUID.randomUUID().toString())
                    .build();
            key = new PartitionKey(table.spec(), table.schema());
            wrapper = new InternalRecordWrapper(table.schema().asStruct());
            writer = new FanoutDataWriter<>(writers, files, table.io(), LakeTable.TARGET_FILE_BYTES);
        }

        /** Writes one row into the file of its partition. */
        public void write(Record row) {
            key.partition(wrapper.wrap(row));
            writer.write(row, table.spec(), key);
            rows++;
        }

        /** Rows written. */
        public long rows() {
            return rows;
        }

        /** Closes the files; returns them, for a commit. */
        public List<DataFile> close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write data files of " + table.name(), e);
            }
            DataWriteResult result = writer.result();
            return result.dataFiles();
        }
    }

    /** Replaces the rows matching {@code filter} with the files of {@code written}, in one commit. */
    public static void overwrite(Table table, Expression filter, List<DataFile> written, String summary) {
        OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(filter);
        written.forEach(overwrite::addFile);
        overwrite.set("chartpulse.job", summary);
        overwrite.commit();
    }
}
