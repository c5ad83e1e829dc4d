# The jobs image: the crm distribution on a Java 25 runtime. Every Airflow task runs one `crm`
# command in it (DockerOperator); the image's entrypoint is `crm`, so the task's command is just
# the arguments. Build after `mvn package`:   docker build -t crm-jobs .
# Tests build the same layers on a locally made base (no registry is reachable there):
#   podman build --build-arg BASE=localhost/crm-test-base -t crm-jobs .
ARG BASE=eclipse-temurin:25-jre
FROM ${BASE}
ENV JAVA_HOME=/opt/java/openjdk \
    SPARK_LOCAL_IP=127.0.0.1 \
    OPENBLAS_NUM_THREADS=1 \
    HOME=/tmp
COPY jobs/target/lib/ /opt/crm/lib/
COPY conf/jvm.flags /opt/crm/conf/jvm.flags
COPY docker/crm /opt/crm/bin/crm
COPY jobs/target/crm-jobs.jar /opt/crm/crm-jobs.jar
WORKDIR /tmp
ENTRYPOINT ["/opt/crm/bin/crm"]
CMD ["--help"]
