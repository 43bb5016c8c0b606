FROM python:3.12-slim-bookworm

ARG PIP_INDEX_PASSWORD
ENV APP_HOME=/srv/app
WORKDIR srv/app

RUN apt-get update && apt-get install --no-install-recommends build-essential libpq-dev
RUN sudo apt-get install -y --no-install-recommends postgresql-client=15.8-0+deb12u1 \
 && rm -rf /var/lib/apt/lists/*
RUN pip install flask gunicorn==22.0.0 -r requirements.txt
COPY . $APP_HOME
RUN apt install -y vim

USER app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
