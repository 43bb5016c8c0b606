# A Node.js service written the old way: most of what lint should catch.
FROM node
MAINTAINER Jane Doe <jane@example.com>

RUN apt-get update
RUN apt-get install curl git
RUN curl -fsSL https://example.com/install.sh | sh

ADD . /app
RUN cd /app && npm install

ENV NODE_ENV=production API_TOKEN=changeme
EXPOSE 3000
USER root
CMD node server.js
CMD ["node", "server.js"]
ENTRYPOINT /app/docker-entrypoint.sh
