package org.crmlake.gold;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.crmlake.lake.Lake;
import org.crmlake.lake.TableDef;
import org.crmlake.lake.Tables;
import org.crmlake.pipeline.Concurrently;

/**
 * A tiny hand-made silver layer and identity map whose gold figures are computed by hand in
 * {@link GoldJobsTest}. As-of date {@link #AS_OF} 2026-06-30; everything dated later must be ignored.
 *
 * <pre>
 * customer  records                      orders (cancelled / after the date excluded)        owner
 * c1        K1 K1b K1c(future) E1 U1 CL*  03-01 100, 04-01 200, 05-01 300, 06-20 400           O1 North
 * c2        E2                            06-30 50                                             -
 * c3        K3 E3                         01-10 2000, 02-01 3000, 03-01 2500                   O2 South
 * c4        K4 E4                         2025-10-01 300, 2025-11-01 200                       O2 South
 * c5        K5 E5                         05-10 450, 06-10 450                                 O1 North
 * c6        U6 (+ cookie CK6)             -  (3 product views and an abandoned cart on 06-20)
 * c7        K7                            -  (a lead on 06-01)
 * c8        K8                            -  (a lead on 07-05, after the date)
 * </pre>
 */
final class GoldFixture {
    static final LocalDate AS_OF = LocalDate.parse("2026-06-30");
    static final LocalDate PREVIOUS = LocalDate.parse("2026-05-15");

    private GoldFixture() {
    }

    static void write(Lake lake) {
        SparkSession spark = lake.spark();
        Map<TableDef, List<Row>> t = new LinkedHashMap<>();
        t.put(Tables.IDENTITY_MAP, rows(Tables.IDENTITY_MAP, "record_key,customer_id",
                "crm:contacts:K1,c1", "crm:contacts:K1b,c1", "crm:contacts:K1c,c1", "erp:customers:E1,c1",
                "web:users:U1,c1", "calls:calls:CL1,c1", "calls:calls:CL2,c1", "calls:calls:CL3,c1",
                "erp:customers:E2,c2", "crm:contacts:K3,c3", "erp:customers:E3,c3", "crm:contacts:K4,c4",
                "erp:customers:E4,c4", "crm:contacts:K5,c5", "erp:customers:E5,c5", "web:users:U6,c6",
                "crm:contacts:K7,c7", "crm:contacts:K8,c8"));
        t.put(Tables.COOKIE_MAP, rows(Tables.COOKIE_MAP, "cookie_id,customer_id", "CK1,c1", "CK6,c6"));
        t.put(Tables.PERSONS, rows(Tables.PERSONS,
                "record_key,source,full_name,email,email_is_placeholder,phone_e164,city,country,owner_id,first_seen_at,updated_at",
                "crm:contacts:K1,crm,Ann Lee,ann@crm.com,false,,Paris,FR,O1,2025-01-01 00:00:00,2026-01-01 00:00:00",
                "crm:contacts:K1b,crm,Ann B. Lee,noemail@example.com,true,,,,,2025-02-01 00:00:00,2026-03-01 00:00:00",
                "crm:contacts:K1c,crm,Future Name,future@crm.com,false,+33700000000,Nice,FR,O2,2026-07-05 00:00:00,2026-07-05 00:00:00",
                "erp:customers:E1,erp,Ann Lee Erp,ann@erp.com,false,+33123456789,Lyon,FR,,2025-01-01 00:00:00,2026-05-01 00:00:00",
                "web:users:U1,web,Ann Web,ann@web.com,false,,,,,2025-01-01 00:00:00,2026-06-01 00:00:00",
                "calls:calls:CL1,calls,Ann Caller,,false,+33999999999,,,,2026-06-05 00:00:00,2026-06-05 00:00:00",
                "erp:customers:E2,erp,Bo Chen,bo@erp.com,false,,Berlin,DE,,2026-06-30 00:00:00,2026-06-30 00:00:00",
                "crm:contacts:K3,crm,Cy Diaz,cy@crm.com,false,,Madrid,ES,O2,2025-01-01 00:00:00,2025-01-01 00:00:00",
                "crm:contacts:K4,crm,Di Egan,di@crm.com,false,,Cork,IE,O2,2025-01-01 00:00:00,2025-01-01 00:00:00",
                "crm:contacts:K5,crm,Ed Fox,ed@crm.com,false,,Oslo,NO,O1,2025-01-01 00:00:00,2025-01-01 00:00:00"));
        t.put(Tables.OWNERS, rows(Tables.OWNERS, "owner_id,owner_name,team,region",
                "O1,Alice,Team North,North", "O2,Bob,Team South,South"));
        t.put(Tables.ORDERS, rows(Tables.ORDERS, "order_id,record_key,ordered_at,order_date,total_amount,status",
                "A1,erp:customers:E1,2026-03-01 10:00:00,2026-03-01,100,completed",
                "A2,erp:customers:E1,2026-04-01 10:00:00,2026-04-01,200,completed",
                "A3,erp:customers:E1,2026-05-01 10:00:00,2026-05-01,300,completed",
                "A4,erp:customers:E1,2026-06-20 10:00:00,2026-06-20,400,completed",
                "A5,erp:customers:E1,2026-06-25 10:00:00,2026-06-25,999,cancelled",
                "A6,erp:customers:E1,2026-07-02 10:00:00,2026-07-02,5000,completed",
                "B1,erp:customers:E2,2026-06-30 09:00:00,2026-06-30,50,completed",
                "C1,erp:customers:E3,2026-01-10 10:00:00,2026-01-10,2000,completed",
                "C2,erp:customers:E3,2026-02-01 10:00:00,2026-02-01,3000,completed",
                "C3,erp:customers:E3,2026-03-01 10:00:00,2026-03-01,2500,completed",
                "D1,erp:customers:E4,2025-10-01 10:00:00,2025-10-01,300,completed",
                "D2,erp:customers:E4,2025-11-01 10:00:00,2025-11-01,200,completed",
                "E1,erp:customers:E5,2026-05-10 10:00:00,2026-05-10,450,completed",
                "E2,erp:customers:E5,2026-06-10 10:00:00,2026-06-10,450,completed"));
        t.put(Tables.ORDER_LINES, rows(Tables.ORDER_LINES, "order_id,line_no,product_id,quantity,unit_price,line_amount",
                "A2,1,P1,2,50,100", "A2,2,P2,1,100,100", "A6,1,P1,100,50,5000"));
        t.put(Tables.RETURNS, rows(Tables.RETURNS, "return_id,order_id,product_id,quantity,returned_at",
                "R1,A2,P1,1,2026-04-10 10:00:00", "R2,A2,P2,1,2026-07-03 10:00:00"));
        t.put(Tables.CONSENTS, rows(Tables.CONSENTS, "contact_id,channel,status,recorded_at",
                "K1,email,opt_in,2026-01-01 00:00:00", "K1,email,opt_out,2026-05-01 00:00:00",
                "K1,email,opt_in,2026-07-10 00:00:00", "K1b,sms,opt_in,2026-02-01 00:00:00",
                "K5,email,opt_in,2026-06-01 10:00:00", "K5,email,opt_out,2026-06-01 10:00:00"));
        t.put(Tables.WEB_EVENTS, rows(Tables.WEB_EVENTS, "event_id,event_ts,event_date,cookie_id,user_id,session_id,event_type",
                "w1,2026-06-28 10:00:00,2026-06-28,CK1,,CK1-1,product_view",
                "w2,2026-06-28 10:10:00,2026-06-28,CK1,,CK1-1,add_to_cart",
                "w3,2026-06-28 10:20:00,2026-06-28,CK1,U1,CK1-1,checkout",
                "w4,2026-06-10 10:00:00,2026-06-10,CK1,,CK1-2,product_view",
                "w5,2026-06-10 10:05:00,2026-06-10,CK1,,CK1-2,add_to_cart",
                "w6,2026-04-15 10:00:00,2026-04-15,CK9,U1,CK9-1,product_view",
                "w7,2026-07-01 10:00:00,2026-07-01,CK1,,CK1-3,product_view",
                "w8,2026-06-20 10:00:00,2026-06-20,CK6,,CK6-1,product_view",
                "w9,2026-06-20 10:05:00,2026-06-20,CK6,,CK6-1,product_view",
                "w10,2026-06-20 10:10:00,2026-06-20,CK6,,CK6-1,product_view",
                "w11,2026-06-20 10:15:00,2026-06-20,CK6,,CK6-1,add_to_cart",
                "w12,2026-06-20 10:00:00,2026-06-20,CK7,,CK7-1,product_view"));
        t.put(Tables.TICKETS, rows(Tables.TICKETS, "ticket_id,contact_id,category,opened_at,resolved_at,hours_to_resolve,csat",
                "T1,K1,complaint,2026-06-01 00:00:00,2026-06-03 00:00:00,48,3",
                "T2,K1,billing,2026-06-15 00:00:00,,,",
                "T3,K1b,delivery,2026-06-25 00:00:00,2026-07-02 02:00:00,170,5",
                "T4,K1,question,2026-05-01 00:00:00,2026-05-02 00:00:00,24,5",
                "T5,K5,billing,2026-06-29 06:00:00,2026-06-30 12:00:00,30,2"));
        t.put(Tables.CALLS, rows(Tables.CALLS, "call_id,record_key,started_at,is_negative,is_complaint,survey_score",
                "CL1,calls:calls:CL1,2026-06-05 00:00:00,true,true,4",
                "CL2,calls:calls:CL2,2026-06-26 00:00:00,false,false,",
                "CL3,calls:calls:CL3,2026-07-01 00:00:00,true,true,1"));
        t.put(Tables.ACTIVITIES, rows(Tables.ACTIVITIES, "activity_id,contact_id,occurred_at",
                "AC1,K3,2026-06-15 00:00:00", "AC2,K1,2026-06-20 00:00:00"));
        t.put(Tables.LEADS, rows(Tables.LEADS, "lead_id,contact_id,channel,created_at",
                "L1,K20,web,2026-05-01 00:00:00", "L2,K21,web,2026-05-03 00:00:00",
                "L3,K22,web,2026-05-10 00:00:00", "L4,K23,web,2026-05-20 00:00:00",
                "L5,K24,web,2026-05-06 00:00:00", "L6,K25,web,2026-05-07 00:00:00",
                "L7,K7,event,2026-06-01 00:00:00", "L8,K8,event,2026-07-05 00:00:00"));
        t.put(Tables.OPPORTUNITIES, rows(Tables.OPPORTUNITIES, "opportunity_id,contact_id,lead_id,owner_id,created_at,closed_at,stage",
                "OP1,K20,L1,O1,2026-05-01 00:00:00,2026-05-25 00:00:00,won",
                "OP2,K21,L2,O1,2026-05-03 00:00:00,2026-06-08 00:00:00,lost",
                "OP3,K22,L3,O1,2026-05-10 00:00:00,2026-05-20 00:00:00,lost",
                "OP5,K24,L5,O1,2026-05-06 00:00:00,2026-05-16 00:00:00,lost",
                "OP6,K25,L6,O1,2026-05-07 00:00:00,2026-07-05 00:00:00,won",
                "OP7,K26,,O2,2026-06-02 00:00:00,,qualified",
                "OP8,K27,,O2,2026-07-01 00:00:00,,lead"));
        t.put(Tables.OPPORTUNITY_STAGES, rows(Tables.OPPORTUNITY_STAGES, "opportunity_id,stage,entered_at",
                "OP1,lead,2026-05-01 00:00:00", "OP1,qualified,2026-05-05 00:00:00", "OP1,quote,2026-05-15 00:00:00",
                "OP1,won,2026-05-25 00:00:00",
                "OP2,lead,2026-05-03 00:00:00", "OP2,qualified,2026-05-09 00:00:00", "OP2,quote,2026-05-19 00:00:00",
                "OP2,lost,2026-06-08 00:00:00",
                "OP3,lead,2026-05-10 00:00:00", "OP3,qualified,2026-05-12 00:00:00", "OP3,lost,2026-05-20 00:00:00",
                "OP5,lead,2026-05-06 00:00:00", "OP5,lost,2026-05-16 00:00:00",
                "OP6,lead,2026-05-07 00:00:00", "OP6,qualified,2026-05-10 00:00:00", "OP6,quote,2026-06-20 00:00:00",
                "OP6,won,2026-07-05 00:00:00",
                "OP7,lead,2026-06-02 00:00:00", "OP7,qualified,2026-06-04 00:00:00",
                "OP8,lead,2026-07-01 00:00:00"));
        List<Callable<Void>> writes = new ArrayList<>();
        t.forEach((table, rows) -> writes.add(() -> {
            lake.overwrite(table, spark.createDataFrame(rows, table.schema()));
            return null;
        }));
        Concurrently.run(writes);
    }

    /** Rows of a table from CSV-like lines naming some of its columns; the others are null. */
    static List<Row> rows(TableDef table, String columns, String... lines) {
        String[] names = columns.split(",");
        List<Row> out = new ArrayList<>();
        for (String line : lines) {
            String[] values = line.split(",", -1);
            if (values.length != names.length) {
                throw new IllegalArgumentException(table.name() + ": " + line + " does not match " + columns);
            }
            Object[] cells = new Object[table.columns().size()];
            for (int i = 0; i < names.length; i++) {
                int at = table.columnNames().indexOf(names[i]);
                if (at < 0) {
                    throw new IllegalArgumentException(table.name() + " has no column " + names[i]);
                }
                cells[at] = value(table.columns().get(at).type(), values[i]);
            }
            out.add(RowFactory.create(cells));
        }
        return out;
    }

    private static Object value(DataType type, String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (type.equals(DataTypes.TimestampType)) {
            return Timestamp.from(Instant.parse(text.replace(' ', 'T') + "Z"));
        }
        if (type.equals(DataTypes.DateType)) {
            return Date.valueOf(text);
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Double.parseDouble(text);
        }
        if (type.equals(DataTypes.IntegerType)) {
            return Integer.parseInt(text);
        }
        if (type.equals(DataTypes.LongType)) {
            return Long.parseLong(text);
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }
}
